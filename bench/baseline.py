"""The original smoke check: fetch each URL in turn with urllib and hash it
with hashlib, as the workflow pindrift replaces did. Usage: baseline.py
URLS_FILE, one "url sha256" pair per line. Exit 1 on any mismatch."""
import hashlib
import sys
import urllib.request

bad = 0
with open(sys.argv[1]) as fh:
    for line in fh:
        url, want = line.split()
        h = hashlib.sha256()
        with urllib.request.urlopen(url, timeout=60) as resp:
            while chunk := resp.read(1 << 20):
                h.update(chunk)
        if h.hexdigest() != want:
            print(f"{url}: expected {want}, got {h.hexdigest()}")
            bad += 1
sys.exit(1 if bad else 0)
