"""Writes, for each source message, what getmail6 delivers when a POP3 server sends that message correctly.

getmail parses every message with Python's email package and writes it out again, which changes some bytes.
Running getmail's own Message class on the correct wire form gives the expected delivery, so a comparison still
catches any byte a server got wrong.
usage: getmail_expected.py OUTDIR SOURCE...
"""
import os
import sys

from getmailcore.message import Message


def wire(data):
    out = bytearray()
    previous = 0
    for b in data:
        if b == 10 and previous != 13:
            out += b"\r"
        out.append(b)
        previous = b
    if data and previous != 10:
        out += b"\r\n"
    return bytes(out)


outdir = sys.argv[1]
for i, source in enumerate(sys.argv[2:]):
    with open(source, "rb") as f:
        lines = wire(f.read()).split(b"\r\n")[:-1]
    with open(os.path.join(outdir, str(i)), "wb") as f:
        f.write(Message(fromlines=lines + [b""]).flatten(False, False))
