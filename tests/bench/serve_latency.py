#!/usr/bin/env python3
"""Save-to-browser latency of `aims-site serve`: edits one document's body and polls its page
until the new text is served, a number of times; prints the median, min and max.

    tests/bench/serve_latency.py [--bin target/release/aims-site] [--saves 8] [--via page|live] CORPUS

--via page (the default) polls the page itself every 5 ms; --via live waits as an open page
does, on the preview's long poll (/__aims/poll), and fetches the page when it is told of a
change, so the measuring does not compete with the rebuild for the CPU.

CORPUS is a project folder (book.toml, content/), e.g. one made by tests/bench/run.sh
(target/bench-corpus-1000). The edited document is restored at the end. The server is started
on a free port of 127.0.0.1 and stopped afterwards; nothing else is contacted.
"""

import argparse
import http.client
import json
import os
import re
import statistics
import subprocess
import sys
import time


def first_document(content):
    for folder, _, files in sorted(os.walk(content)):
        for name in sorted(files):
            if name.endswith(".md"):
                path = os.path.join(folder, name)
                with open(path, encoding="utf-8") as f:
                    text = f.read()
                m = re.search(r"^id:\s*\"?([A-Za-z0-9._-]+)", text, re.M)
                status = re.search(r"^status:\s*(\S+)", text, re.M)
                restricted = re.search(r"^classification:\s*restricted", text, re.M)
                if m and status and status.group(1) == "approved" and not restricted:
                    return path, m.group(1), text
    sys.exit("no approved document in " + content)


def fetch(host, port, path):
    conn = http.client.HTTPConnection(host, port, timeout=30)
    try:
        conn.request("GET", path)
        resp = conn.getresponse()
        return resp.status, resp.read().decode("utf-8", "replace")
    finally:
        conn.close()


def wait_for_news(host, port, state):
    """Blocks on the preview's long poll until a build or an early page is announced."""
    path = "/__aims/poll?since=%d&early=%d" % (state.get("build", 0), state.get("early", 0))
    status, body = fetch(host, port, path)
    if status == 200:
        state.update(json.loads(body))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus")
    ap.add_argument("--bin", default="target/release/aims-site")
    ap.add_argument("--saves", type=int, default=8)
    ap.add_argument("--via", choices=["page", "live"], default="page")
    args = ap.parse_args()
    path, doc_id, original = first_document(os.path.join(args.corpus, "content"))
    server = subprocess.Popen(
        [args.bin, "--root", args.corpus, "serve", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        line = server.stdout.readline()
        m = re.search(r"http://([0-9.]+):(\d+)/", line)
        if not m:
            sys.exit("no address in: " + line)
        host, port = m.group(1), int(m.group(2))
        page = "/doc/%s.html" % doc_id
        deadline = time.time() + 120
        while fetch(host, port, page)[0] != 200:
            if time.time() > deadline:
                sys.exit("the first build did not finish")
            time.sleep(0.05)
        times = []
        state = {}
        for n in range(args.saves):
            if args.via == "live":
                state.update(json.loads(fetch(host, port, "/__aims/poll")[1]))
            marker = "latency-probe-%d-%d" % (os.getpid(), n)
            started = time.perf_counter()
            with open(path, "w", encoding="utf-8") as f:
                f.write(original + "\n\n" + marker + "\n")
            while True:
                status, body = fetch(host, port, page)
                if status == 200 and marker in body:
                    break
                if time.perf_counter() - started > 60:
                    sys.exit("the edit never showed")
                if args.via == "live":
                    wait_for_news(host, port, state)
                else:
                    time.sleep(0.005)
            times.append(time.perf_counter() - started)
            time.sleep(0.5)
        ms = [t * 1000 for t in times]
        print(
            "%s: save -> changed page served (via %s), %d saves: median %.0f ms (min %.0f, max %.0f)"
            % (args.corpus, args.via, len(ms), statistics.median(ms), min(ms), max(ms))
        )
    finally:
        with open(path, "w", encoding="utf-8") as f:
            f.write(original)
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
