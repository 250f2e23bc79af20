#!/usr/bin/env python3
# git-http-auth-server.py — a git smart-HTTP server on 127.0.0.1 that asks for Basic auth
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The clone tests need a server that answers 401 + WWW-Authenticate until it
# is given the right user name and password, as a hosted repository does.
# Each request is handed to `git http-backend` (CGI) once authorised. It
# listens on a free loopback port and prints it (one line, the only output
# on stdout) once it accepts connections, so a test reads it instead of
# polling; appends one line per request to LOG_FILE ("401" or "200 PATH") so
# a test can count the attempts; and stops by itself after MAX_SECONDS.
#
# usage: git-http-auth-server.py ROOT USER PASSWORD LOG_FILE [MAX_SECONDS]
import base64
import os
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

root, user, password, log_file = sys.argv[1:5]
max_seconds = float(sys.argv[5]) if len(sys.argv) > 5 else 300.0
expected = "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()
exec_path = subprocess.run(["git", "--exec-path"], capture_output=True, text=True, check=True).stdout.strip()
backend = os.path.join(exec_path, "git-http-backend")
log_lock = threading.Lock()


def log(line):
    with log_lock, open(log_file, "a") as f:
        f.write(line + "\n")


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def handle_any(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        if self.headers.get("Authorization") != expected:
            log("401")
            text = b"authentication required\n"
            self.send_response(401)
            self.send_header("WWW-Authenticate", 'Basic realm="kwb test"')
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(text)))
            self.end_headers()
            self.wfile.write(text)
            return
        url = urlsplit(self.path)
        log("200 " + url.path)
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "GIT_PROJECT_ROOT": root,
            "GIT_HTTP_EXPORT_ALL": "1",
            "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_CONFIG_GLOBAL": "/dev/null",
            "REQUEST_METHOD": self.command,
            "PATH_INFO": url.path,
            "QUERY_STRING": url.query,
            "CONTENT_TYPE": self.headers.get("Content-Type", ""),
            "CONTENT_LENGTH": str(len(body)),
            "REMOTE_USER": user,
            "REMOTE_ADDR": "127.0.0.1",
            "GATEWAY_INTERFACE": "CGI/1.1",
            "SERVER_PROTOCOL": "HTTP/1.1",
        }
        if self.headers.get("Git-Protocol"):
            env["GIT_PROTOCOL"] = self.headers["Git-Protocol"]
        out = subprocess.run([backend], input=body, env=env, capture_output=True, timeout=60).stdout
        head, _, payload = out.partition(b"\r\n\r\n")
        status = 200
        headers = []
        for line in head.split(b"\r\n"):
            name, _, value = line.decode("latin-1").partition(":")
            if name.lower() == "status":
                status = int(value.strip().split()[0])
            elif name:
                headers.append((name, value.strip()))
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = handle_any
    do_POST = handle_any


class Server(ThreadingHTTPServer):
    daemon_threads = True

    # A client that cancels its clone drops its connection: not an error.
    def handle_error(self, request, client_address):
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


server = Server(("127.0.0.1", 0), Handler)
timer = threading.Timer(max_seconds, server.shutdown)
timer.daemon = True
timer.start()
print(server.server_address[1], flush=True)
server.serve_forever()
