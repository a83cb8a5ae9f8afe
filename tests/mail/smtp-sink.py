#!/usr/bin/python3
# smtp-sink.py — a real SMTP server (aiosmtpd) for the mail tests and the benchmark.
#
# Listens on 127.0.0.1:PORT (or another loopback address, --host ::1), prints "READY <port>" once it accepts connections, and writes
# every message it accepts to DIR as <n>.eml (the raw message) and <n>.json (what Python's
# own e-mail parser makes of it: decoded headers, parts, line lengths, defects), so that
# the C tests check the gateway's MIME against an independent implementation. The files
# are written before the "250" reply, like a real MTA that commits to its queue first.
#
# Recipients starting with "reject" get a permanent 550, "later" a temporary 450. The sink
# exits on SIGTERM or when its stdin reaches end of file (the test that started it died).
#
# TLS, for the tests of the gateway's transport security: --tls-cert/--tls-key with
# --starttls (offer STARTTLS; --require-starttls refuses everything else without it) or
# --implicit-tls (TLS from the first byte, SMTPS); --no-starttls never offers it, like a
# relay without TLS. With STARTTLS, --auth is only offered inside TLS. Every connection,
# STARTTLS, AUTH attempt and MAIL FROM is appended to DIR/events.jsonl before the reply
# goes out, so a test can tell what reached the server, and whether in clear.
import argparse
import asyncio
import email
import email.policy
import ipaddress
import json
import os
import logging
import signal
import ssl
import sys
import warnings

from aiosmtpd.smtp import SMTP, AuthResult

parser = argparse.ArgumentParser()
parser.add_argument("--port", type=int, required=True)
parser.add_argument("--dir", required=True)
parser.add_argument("--delay-ms", type=int, default=0, help="pause before each 250 to DATA")
parser.add_argument("--hold", metavar="N:MS",
                    help="after storing the Nth message, wait MS before the 250 (a crash window)")
parser.add_argument("--auth", help="user:password required for AUTH (PLAIN/LOGIN)")
parser.add_argument("--no-summary", action="store_true",
                    help="raw messages only, no summaries or events (benchmark)")
parser.add_argument("--host", default="127.0.0.1", help="loopback address to listen on")
parser.add_argument("--auth-mechanism", choices=["PLAIN", "LOGIN"],
                    help="offer only this AUTH mechanism")
parser.add_argument("--tls-cert", help="server certificate chain (PEM)")
parser.add_argument("--tls-key", help="its private key (PEM)")
security = parser.add_mutually_exclusive_group()
security.add_argument("--starttls", action="store_true", help="offer STARTTLS")
security.add_argument("--require-starttls", action="store_true",
                      help="offer STARTTLS and refuse mail without it")
security.add_argument("--implicit-tls", action="store_true", help="TLS from the first byte")
security.add_argument("--no-starttls", action="store_true", help="never offer STARTTLS")
args = parser.parse_args()
starttls = args.starttls or args.require_starttls
if (starttls or args.implicit_tls) != bool(args.tls_cert and args.tls_key):
    parser.error("--starttls, --require-starttls and --implicit-tls need --tls-cert and "
                 "--tls-key, and those need one of them")
if args.auth_mechanism and not args.auth:
    parser.error("--auth-mechanism needs --auth")
if not ipaddress.ip_address(args.host).is_loopback:
    parser.error("--host must be a loopback address: the tests stay on this machine")

# AUTH without TLS is what the plain tests want on loopback; aiosmtpd warns about it.
warnings.simplefilter("ignore")
logging.disable(logging.WARNING)


def tls_version(server):
    """The TLS version of the session ("TLSv1.3"), or "" in clear."""
    ssl_object = server.transport.get_extra_info("ssl_object") if server.transport else None
    return ssl_object.version() if ssl_object is not None else ""


def auth_user(session):
    """Who logged in on this session, or "" without AUTH."""
    return session.auth_data.login.decode() if session.authenticated else ""


def log_event(**event):
    if args.no_summary:
        return
    with open(os.path.join(args.dir, "events.jsonl"), "a", encoding="utf-8") as f:
        f.write(json.dumps(event, ensure_ascii=False) + "\n")


def summary(raw):
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    lines = raw.split(b"\r\n")
    out = {
        "messageId": str(msg["Message-ID"]),
        "subject": str(msg["Subject"]),
        "from": str(msg["From"]),
        "fromName": msg["From"].addresses[0].display_name if msg["From"] else "",
        "to": str(msg["To"]),
        "toName": msg["To"].addresses[0].display_name if msg["To"] else "",
        "toAddress": msg["To"].addresses[0].addr_spec if msg["To"] else "",
        "replyTo": str(msg["Reply-To"] or ""),
        "date": str(msg["Date"]),
        "contentType": msg.get_content_type(),
        "contentLanguage": str(msg["Content-Language"] or ""),
        "mimeVersion": str(msg["MIME-Version"] or ""),
        "maxLineLength": max(len(line) for line in lines),
        "bareLineFeeds": raw.count(b"\n") - raw.count(b"\r\n"),
        "rawHeaders": raw.split(b"\r\n\r\n", 1)[0].decode("ascii", "replace"),
        "eightBit": any(b > 127 for b in raw),
        "defects": [repr(d) for d in msg.defects],
        "parts": [],
    }
    for part in msg.walk():
        out["defects"] += [repr(d) for d in part.defects]
        if part.is_multipart():
            continue
        out["parts"].append({
            "type": part.get_content_type(),
            "charset": part.get_content_charset() or "",
            "encoding": str(part["Content-Transfer-Encoding"] or ""),
            "text": part.get_content(),
        })
    return out


class Handler:
    def __init__(self):
        self.count = 0

    def handle_STARTTLS(self, server, session, envelope):
        log_event(event="starttls", tls=tls_version(server))
        return True

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        log_event(event="mail", address=address, tls=tls_version(server),
                  authUser=auth_user(session))
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("reject"):
            return "550 5.1.1 <%s>: Recipient address rejected: User unknown" % address
        if address.startswith("later"):
            return "450 4.2.1 <%s>: Mailbox busy, try again later" % address
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 Ok"

    async def handle_DATA(self, server, session, envelope):
        if args.delay_ms:
            await asyncio.sleep(args.delay_ms / 1000)
        self.count += 1
        n = "%06d" % self.count
        raw = envelope.original_content
        path = os.path.join(args.dir, n + ".eml")
        with open(path + ".tmp", "wb") as f:
            f.write(raw)
        if not args.no_summary:
            info = summary(raw)
            info["envelopeFrom"] = envelope.mail_from
            info["envelopeTo"] = envelope.rcpt_tos
            info["tls"] = tls_version(server)
            info["authUser"] = auth_user(session)
            with open(os.path.join(args.dir, n + ".json.tmp"), "w", encoding="utf-8") as f:
                json.dump(info, f, ensure_ascii=False)
            os.rename(os.path.join(args.dir, n + ".json.tmp"), os.path.join(args.dir, n + ".json"))
        # The .eml appears last: a reader that sees it finds its summary too.
        os.rename(path + ".tmp", path)
        if args.hold and int(args.hold.split(":")[0]) == self.count:
            await asyncio.sleep(int(args.hold.split(":")[1]) / 1000)
        return "250 2.0.0 Ok: queued as UL%s" % n


def authenticator(server, session, envelope, mechanism, auth_data):
    user, password = args.auth.split(":", 1)
    ok = auth_data.login.decode() == user and auth_data.password.decode() == password
    log_event(event="auth", mechanism=mechanism, user=auth_data.login.decode(), success=ok,
              tls=tls_version(server))
    return AuthResult(success=ok, handled=False, auth_data=auth_data)


class Server(SMTP):
    def connection_made(self, transport):
        # Called again on the STARTTLS upgrade, which is logged by handle_STARTTLS.
        if self.transport is None:
            log_event(event="connect")
        super().connection_made(transport)


async def main():
    handler = Handler()
    kwargs = {"decode_data": False, "hostname": "sink.test"}
    context = None
    if args.tls_cert:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(args.tls_cert, args.tls_key)
    if starttls:
        kwargs.update(tls_context=context, require_starttls=args.require_starttls)
    if args.auth:
        # With implicit TLS every command is inside TLS already; aiosmtpd only knows the
        # STARTTLS kind, so its auth_require_tls would refuse AUTH there.
        kwargs.update(authenticator=authenticator, auth_require_tls=starttls,
                      auth_required=True)
        if args.auth_mechanism:
            kwargs.update(auth_exclude_mechanism=[m for m in ("PLAIN", "LOGIN")
                                                  if m != args.auth_mechanism])
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: Server(handler, **kwargs), host=args.host,
                                      port=args.port, reuse_address=True,
                                      ssl=context if args.implicit_tls else None)
    stop = asyncio.Event()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    # The test holds our stdin: when it dies, even by abort, we go too.
    loop.add_reader(sys.stdin.fileno(), lambda: os.read(sys.stdin.fileno(), 4096) or stop.set())
    print("READY %d" % server.sockets[0].getsockname()[1], flush=True)
    await stop.wait()
    server.close()


asyncio.run(main())
