"""Drives a POP3 server with Python's poplib and reports what it saw as JSON.

usage: poplib_session.py HOST PORT USER PASSWORD MODE OUTDIR [DELETE...]
MODE: plain, stls, ssl, apop, utf8. Every message is saved to OUTDIR/N (CRLF line ends, as on the wire);
the listed message numbers are deleted before QUIT.
"""
import json
import os
import poplib
import ssl
import sys

poplib._MAXLINE = 100_000_000  # corpus messages have lines far longer than poplib's default 2048

host, port, user, password, mode, outdir = sys.argv[1:7]
delete = [int(n) for n in sys.argv[7:]]
context = ssl.create_default_context()
context.check_hostname = False
context.verify_mode = ssl.CERT_NONE

if mode == "ssl":
    pop = poplib.POP3_SSL(host, int(port), context=context, timeout=60)
else:
    pop = poplib.POP3(host, int(port), timeout=60)
result = {"welcome": pop.getwelcome().decode("latin-1"), "capa": pop.capa()}
if mode == "stls":
    pop.stls(context=context)
    result["capa_after_stls"] = pop.capa()
if mode == "utf8":
    result["utf8"] = pop.utf8().decode("latin-1")
if mode == "apop":
    result["login"] = pop.apop(user, password).decode("latin-1")
else:
    pop.user(user)
    result["login"] = pop.pass_(password).decode("latin-1")

count, octets = pop.stat()
result["stat"] = [count, octets]
result["list"] = [line.decode() for line in pop.list()[1]]
result["uidl"] = [line.decode() for line in pop.uidl()[1]]
result["list1"] = pop.list(1).decode() if count else None
result["uidl1"] = pop.uidl(1).decode() if count else None
sizes = []
for n in range(1, count + 1):
    _, lines, _ = pop.retr(n)
    data = b"\r\n".join(lines) + b"\r\n" if lines else b""
    with open(os.path.join(outdir, str(n)), "wb") as f:
        f.write(data)
    sizes.append(len(data))
result["retr_sizes"] = sizes
if count:
    _, top_lines, _ = pop.top(1, 0)
    result["top1_0"] = b"\r\n".join(top_lines).decode("latin-1")
result["noop"] = pop.noop().decode()
try:
    pop.retr(count + 1)
    result["retr_missing"] = "accepted"
except poplib.error_proto as e:
    result["retr_missing"] = e.args[0].decode("latin-1")
for n in delete:
    pop.dele(n)
result["stat_after_dele"] = list(pop.stat())
result["quit"] = pop.quit().decode("latin-1")
print(json.dumps(result))
