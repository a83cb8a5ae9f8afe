/* ul-csta-codec.h — the whole CSTA codec (libuplink-csta): framing, the bounded element
 * tree, message builders and parsers. GLib/GIO only; see csta.md for the wire profile.
 */
#pragma once

#include "ul-csta-error.h"
#include "ul-csta-frame.h"
#include "ul-csta-decoder.h"
#include "ul-csta-node.h"
#include "ul-csta-writer.h"
#include "ul-csta-session.h"
#include "ul-csta-services.h"
#include "ul-csta-events.h"
#include "ul-csta-invoke-ids.h"
