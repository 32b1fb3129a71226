"""PII detection with Python's `re`, the baseline for bench/pii-bench.sh.

The common way to scrub PII in Python: one regular expression per type,
`finditer` over the text, then cheap checks in Python (Luhn for cards,
mod-97 for IBANs, octet ranges for IPv4, SSA ranges for SSNs). The regexes
describe the same candidate shapes Smelter's scanners read (see
src/pii/pii_patterns.h and pii_redactor.cpp); phone numbers are not checked
with libphonenumber here (the Python `phonenumbers` package is not
installed), and names and dates of birth use the same context words.
Input is cut into the same ~64 KB pieces as the C++ side.

    python3 pii_bench_re.py FILE [REPEATS]

Prints key=value lines: mbps (median, MB = 10^6 bytes), findings.
"""
import re
import statistics
import sys
import time

MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]{0,6}"
WORD = r"[A-Z](?:'[A-Z])?[a-z]+(?:[A-Z][a-z]+)?(?:-[A-Z][a-z]+)?"
PATTERNS = [
    ("email", r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,24}"),
    ("phone", r"(?:\+|\(|\b)\d(?:[ .\-()]{0,2}\d){6,16}"),
    ("ssn", r"\b\d{3}[ \-]?\d{2}[ \-]?\d{4}\b"),
    ("card", r"\b\d(?:[ \-]?\d){12,18}\b"),
    ("iban", r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?\b"),
    ("ipv4", r"\b\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}\b"),
    ("ipv6", r"[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}(?:\.\d{1,3}){0,3}"),
    ("credential", r"\b(?:AKIA|ASIA)[A-Z0-9]{16}\b"),
    ("credential", r"(?i:secret)[A-Za-z_\- ]{0,24}[\"']?[ \t]*[:=][ \t]*[\"']?[A-Za-z0-9/+]{40}"),
    ("credential", r"-----BEGIN [A-Z0-9 ]{0,40}PRIVATE KEY-----[\s\S]*?-----END [A-Z0-9 ]{0,40}PRIVATE KEY-----"),
    ("credential", r"\b(?i:bearer)[ \t]+[A-Za-z0-9\-._~+/]{8,}=*"),
    ("credential", r"\b[A-Za-z][A-Za-z0-9+.\-]{1,15}://[^\s:/@]{1,64}:[^\s/@]{1,128}@"),
    ("credential", r"\b(?i:password|passwd|pwd|passphrase)[ \t]*[:=][ \t]*[^\s\"']{4,64}"),
    ("dob", r"(?i:\b(?:birth|born|dob|d\.o\.b))[^\n]{0,40}?(?:\b\d{4}-\d{1,2}-\d{1,2}\b|\b\d{1,2}[/.\-]\d{1,2}[/.\-](?:\d{4}|\d{2})\b|\b"
     + MONTH + r"\.? \d{1,2},? \d{4}\b|\b\d{1,2} " + MONTH + r" \d{4}\b)"),
    ("name", r"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof)\.?[ \t]+" + WORD + r"(?:[ \t]+" + WORD + r"){0,2}"),
    ("name", r"\b(?:Dear|Hi|Hello|Hey)[ \t]+" + WORD + r"(?:[ \t]+" + WORD + r")?"),
    ("name", r"\b(?i:name)[ \t]*:[ \t]*" + WORD + r"(?:[ \t]+" + WORD + r"){0,2}"),
    ("name", WORD + r"(?:[ \t]+" + WORD + r"){1,2}[ \t]*<[^<>\s@]+@"),
    ("name", r"(?:Regards|Best|Sincerely|Cheers|Thanks|Kind regards)[,.!]?[ \t]*\r?\n[ \t]*" + WORD
     + r"(?:[ \t]+" + WORD + r"){0,2}"),
]


def luhn(digits):
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = ord(ch) - 48
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def mod97(compact):
    moved = compact[4:] + compact[:4]
    return int("".join(str(int(c, 36)) for c in moved)) % 97 == 1


def valid(kind, value):
    if kind == "card":
        d = re.sub(r"\D", "", value)
        return 13 <= len(d) <= 19 and luhn(d)
    if kind == "iban":
        return mod97(value.replace(" ", ""))
    if kind == "ipv4":
        return all(int(p) <= 255 for p in value.split("."))
    if kind == "ssn":
        d = re.sub(r"\D", "", value)
        return d[:3] not in ("000", "666") and d[0] != "9" and d[3:5] != "00" and d[5:] != "0000"
    if kind == "phone":
        return 7 <= len(re.sub(r"\D", "", value)) <= 15
    return True


def main():
    path = sys.argv[1]
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    with open(path, "rb") as f:
        data = f.read()
    text = data.decode("utf-8", errors="replace")
    pieces, at = [], 0
    while at < len(text):
        end = min(len(text), at + 65536)
        nl = text.find("\n", end)
        if end < len(text) and nl != -1:
            end = nl + 1
        pieces.append(text[at:end])
        at = end
    compiled = [(kind, re.compile(p)) for kind, p in PATTERNS]
    rates, findings = [], 0
    for _ in range(repeats):
        findings = 0
        start = time.perf_counter()
        for piece in pieces:
            for kind, rx in compiled:
                for m in rx.finditer(piece):
                    if valid(kind, m.group()):
                        findings += 1
        rates.append(len(data) / 1e6 / (time.perf_counter() - start))
    print(f"findings={findings}")
    print(f"mbps={statistics.median(rates):.1f}")


if __name__ == "__main__":
    main()
