#!/usr/bin/python3
# smtp-sink.py — a real SMTP server (aiosmtpd) for the mail tests and the benchmark.
#
# Listens on 127.0.0.1:PORT, prints "READY <port>" once it accepts connections, and writes
# every message it accepts to DIR as <n>.eml (the raw message) and <n>.json (what Python's
# own e-mail parser makes of it: decoded headers, parts, line lengths, defects), so that
# the C tests check the gateway's MIME against an independent implementation. The files
# are written before the "250" reply, like a real MTA that commits to its queue first.
#
# Recipients starting with "reject" get a permanent 550, "later" a temporary 450. The sink
# exits on SIGTERM or when its stdin reaches end of file (the test that started it died).
import argparse
import asyncio
import email
import email.policy
import json
import os
import logging
import signal
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
parser.add_argument("--no-summary", action="store_true", help="raw messages only (benchmark)")
args = parser.parse_args()

# AUTH without TLS is what the tests want on loopback; aiosmtpd warns about it.
warnings.simplefilter("ignore")
logging.disable(logging.WARNING)


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
    return AuthResult(success=ok, handled=False)


async def main():
    handler = Handler()
    kwargs = {"decode_data": False, "hostname": "sink.test"}
    if args.auth:
        kwargs.update(authenticator=authenticator, auth_require_tls=False, auth_required=True)
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: SMTP(handler, **kwargs), host="127.0.0.1",
                                      port=args.port, reuse_address=True)
    stop = asyncio.Event()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    # The test holds our stdin: when it dies, even by abort, we go too.
    loop.add_reader(sys.stdin.fileno(), lambda: os.read(sys.stdin.fileno(), 4096) or stop.set())
    print("READY %d" % server.sockets[0].getsockname()[1], flush=True)
    await stop.wait()
    server.close()


asyncio.run(main())
