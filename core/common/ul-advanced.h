/* ul-advanced.h — the "Advanced" step: digits, call-through, emergency numbers, updates. */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef struct
{
  char    *inbound_digits;       /* may be empty */
  char    *outbound_digits;      /* may be empty */
  char    *gsm_call_through;     /* E.164 or empty */
  GStrv    emergency_numbers;    /* default 000 110 111 112 118 119 911 999 */
  gboolean automatic_updates;
  GStrv    update_days;          /* subset of ul_weekdays() */
  char    *update_window_start;  /* "HH:MM" */
  char    *update_window_end;    /* "HH:MM"; may be earlier than start (crosses midnight) */
} UlAdvanced;

#define UL_TYPE_ADVANCED (ul_advanced_get_type ())
GType       ul_advanced_get_type (void) G_GNUC_CONST;
/* The defaults: no digits, no call-through number, the seed's emergency numbers, automatic
 * updates on every day between 02:00 and 04:00 gateway time. */
UlAdvanced *ul_advanced_new  (void);
UlAdvanced *ul_advanced_copy (const UlAdvanced *self);
void        ul_advanced_free (UlAdvanced *self);
gboolean    ul_advanced_equal (const UlAdvanced *a, const UlAdvanced *b);
/* a{sv}: inboundDigits, outboundDigits, gsmCallThrough, emergencyNumbers (as),
 * automaticUpdates (b), updateDays (as), updateWindowStart, updateWindowEnd */
GVariant   *ul_advanced_to_variant (const UlAdvanced *self);
gboolean    ul_advanced_apply (UlAdvanced *self, GVariant *changes, GError **error);
/* Digits (≤ UL_DIGITS_MAX of 0-9 * #), call-through E.164 or empty, 1 … UL_EMERGENCY_NUMBERS_MAX
 * distinct emergency numbers of 2–6 digits, distinct weekdays (at least one with automatic
 * updates), HH:MM window with end != start. */
gboolean    ul_advanced_validate (const UlAdvanced *self, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (UlAdvanced, ul_advanced_free)

G_END_DECLS
