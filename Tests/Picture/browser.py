"""A headless Chromium driven over the DevTools protocol on a pipe
(--remote-debugging-pipe: NUL-terminated JSON on descriptors 3 and 4), so
the tests need no websocket library and open no port.

    with Browser(profile_dir) as browser:
        page = browser.open("file:///.../page.html")
        page.evaluate("document.title"); page.screenshot("shot.png")
        page.console_errors, page.requests
"""
import base64
import json
import os
import shutil
import subprocess
import time


class BrowserError(Exception):
    pass


class Browser:
    def __init__(self, profile, program=None, timeout=30.0):
        self.program = program or os.environ.get("XMPPDNA_CHROMIUM") or shutil.which("chromium") or "chromium"
        self.profile = profile
        self.timeout = timeout
        self.next_id = 0
        self.buffer = b""
        self.events = []

    def __enter__(self):
        to_browser_read, self.to_browser = os.pipe()
        self.from_browser, from_browser_write = os.pipe()

        def descriptors():
            os.dup2(to_browser_read, 3)
            os.dup2(from_browser_write, 4)

        # Root needs --no-sandbox; nothing here reaches the network anyway.
        self.process = subprocess.Popen(
            [self.program, "--headless=new", "--no-sandbox", "--disable-gpu", "--remote-debugging-pipe",
             "--no-first-run", "--no-default-browser-check", "--disable-extensions", "--disable-sync",
             "--disable-background-networking", "--disable-component-update", "--hide-scrollbars",
             "--user-data-dir=" + self.profile, "about:blank"],
            preexec_fn=descriptors, pass_fds=(3, 4), stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(to_browser_read)
        os.close(from_browser_write)
        return self

    def __exit__(self, *exc):
        try:
            self.send("Browser.close")
            self.process.wait(timeout=10)
        except Exception:
            pass
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        os.close(self.to_browser)
        os.close(self.from_browser)

    def send(self, method, params=None, session=None):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self.to_browser, json.dumps(message).encode() + b"\0")
        return self.next_id

    def _read_one(self, deadline):
        while b"\0" not in self.buffer:
            if time.monotonic() > deadline:
                raise BrowserError("Chromium did not answer in time")
            chunk = os.read(self.from_browser, 1 << 20)
            if not chunk:
                raise BrowserError("Chromium closed the pipe (exit %s)" % self.process.poll())
            self.buffer += chunk
        raw, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(raw)

    def call(self, method, params=None, session=None):
        wanted = self.send(method, params, session)
        deadline = time.monotonic() + self.timeout
        while True:
            message = self._read_one(deadline)
            if message.get("id") == wanted:
                if "error" in message:
                    raise BrowserError("%s: %s" % (method, message["error"]))
                return message.get("result", {})
            self.events.append(message)

    def wait_for(self, predicate):
        deadline = time.monotonic() + self.timeout
        while True:
            for event in self.events:
                if predicate(event):
                    return event
            self.events.append(self._read_one(deadline))

    def open(self, url, width=1400, height=1000):
        target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        page = Page(self, session)
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.call(domain + ".enable", session=session)
        self.call("Emulation.setDeviceMetricsOverride",
                  {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False}, session=session)
        self.events.clear()
        self.call("Page.navigate", {"url": url}, session=session)
        self.wait_for(lambda e: e.get("method") == "Page.loadEventFired" and e.get("sessionId") == session)
        page.collect()
        return page


class Page:
    def __init__(self, browser, session):
        self.browser = browser
        self.session = session
        self.console_errors = []
        self.requests = []

    def collect(self):
        """Console errors, uncaught exceptions, failed loads and every request, so far."""
        for event in self.browser.events:
            if event.get("sessionId") != self.session:
                continue
            method, params = event.get("method"), event.get("params", {})
            if method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
                self.console_errors.append(" ".join(str(a.get("value", a.get("description"))) for a in params.get("args", [])))
            elif method == "Runtime.exceptionThrown":
                self.console_errors.append(params["exceptionDetails"].get("text", "exception"))
            elif method == "Log.entryAdded" and params["entry"].get("level") == "error":
                self.console_errors.append(params["entry"].get("text", ""))
            elif method == "Network.requestWillBeSent":
                self.requests.append(params["request"]["url"])
        self.browser.events = [e for e in self.browser.events if e.get("sessionId") != self.session]

    def evaluate(self, expression):
        result = self.browser.call("Runtime.evaluate", {"expression": expression, "returnByValue": True},
                                   session=self.session)
        if "exceptionDetails" in result:
            raise BrowserError("%s: %s" % (expression[:80], result["exceptionDetails"]))
        return result["result"].get("value")

    def screenshot(self, path, width=1400):
        height = int(self.evaluate("Math.ceil(document.documentElement.scrollHeight)"))
        self.browser.call("Emulation.setDeviceMetricsOverride",
                          {"width": width, "height": min(height, 12000), "deviceScaleFactor": 1, "mobile": False},
                          session=self.session)
        shot = self.browser.call("Page.captureScreenshot", {"format": "png"}, session=self.session)
        with open(path, "wb") as out:
            out.write(base64.b64decode(shot["data"]))
