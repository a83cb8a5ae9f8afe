#!/usr/bin/python3
# test-register-browser.py — a user follows the link in their welcome mail, in a real
# browser: headless Chromium driven by Selenium through Debian's chromedriver.
#
# The built uplinkd (on a private D-Bus, with a CSV user directory) sends a deployment
# e-mail to a real SMTP server (tests/mail/smtp-sink.py, aiosmtpd); the browser opens the
# link from the mail the server received, the gateway's self-signed certificate pinned by
# its public key, and goes through what a user sees: the form in the mail's language, at
# 320 px and in dark mode, a refused password, a good one, the link used up, an expired
# link and an unknown one. gdbus confirms what the gateway stored. Screenshots of every
# page land in $UL_SCREENSHOT_DIR.
#
# Exits 77 (skipped) only when Chromium is not installed at all.
import base64
import ctypes
import glob
import hashlib
import json
import os
import re
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
BUS_NAME = "io.github.uplink.Gateway1"
OBJECT_PATH = "/io/github/uplink/Gateway1"
DEADLINE_S = 50          # the whole script, whatever happens
WAIT_S = 15              # any single wait
BROWSER_LANGUAGES = "fr-FR,fr"

if not os.path.exists(CHROMIUM):
    print("SKIP: Chromium is not installed (%s); scripts/install-deps installs it" % CHROMIUM)
    sys.exit(77)

from selenium import webdriver  # noqa: E402  (only once Chromium is known to be there)
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.common.exceptions import WebDriverException  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

USERS_CSV = """extension,name,email,group
201,Jürgen Müller,juergen.mueller@acme.example,Management
209,Anna Beispiel,anna@acme.example,Sales
"""

CUSTOMER = (
    "{'name': <'ACME Präzision AG'>,"
    " 'address': <{'street': <'Bahnhofstrasse 1'>, 'city': <'Zürich'>,"
    "              'postalCode': <'8001'>, 'country': <'CH'>}>,"
    " 'businessType': <'manufacturing'>, 'language': <'de'>,"
    " 'adminContacts': <[{'name': <'Jürgen Müller'>,"
    "                     'email': <'juergen.mueller@acme.example'>}]>,"
    " 'supportContacts': <[{'role': <'maintainer'>, 'name': <'Partner Tech'>,"
    "                       'email': <'support@partner.example'>},"
    "                      {'role': <'onsiteAdmin'>, 'name': <'Zoë Ångström'>,"
    "                       'email': <'zoe@acme.example'>}]>}"
)

results = []


def ok(condition, what):
    """One TAP line per check; the first failure ends the run."""
    results.append(what)
    if not condition:
        print("not ok %d - %s" % (len(results), what), flush=True)
        raise AssertionError(what)
    print("ok %d - %s" % (len(results), what), flush=True)


def die_with_parent():
    # A helper must never outlive the test, even one killed by meson's timeout.
    libc = ctypes.CDLL("libc.so.6", use_errno=True)
    libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


def spawn(argv, **kwargs):
    return subprocess.Popen(argv, preexec_fn=die_with_parent, **kwargs)


def read_line(stream, pattern, timeout):
    """The first line of @stream matching @pattern, within @timeout seconds."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        ready, _, _ = select.select([stream], [], [], max(0.0, end - time.monotonic()))
        if not ready:
            break
        line = stream.readline()
        if not line:
            break
        match = re.search(pattern, line)
        if match:
            return match
    raise AssertionError("no line matching %r within %d s" % (pattern, timeout))


def wait_for(check, what, timeout=WAIT_S, interval=0.02):
    """Polls @check until it returns something true; fails after @timeout seconds."""
    end = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > end:
            raise AssertionError("timed out waiting for " + what)
        time.sleep(interval)


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def spki_pin(pem_path):
    """base64(SHA-256(SubjectPublicKeyInfo)) of the certificate, read from its DER."""
    with open(pem_path, encoding="ascii") as f:
        pem = f.read()
    body = pem.split("-----BEGIN CERTIFICATE-----")[1].split("-----END CERTIFICATE-----")[0]
    der = base64.b64decode("".join(body.split()))

    def element(pos):
        tag, length = der[pos], der[pos + 1]
        pos += 2
        if length & 0x80:
            n = length & 0x7F
            length = int.from_bytes(der[pos:pos + n], "big")
            pos += n
        return tag, pos, length

    _, pos, _ = element(0)                 # Certificate
    _, pos, length = element(pos)          # tbsCertificate
    fields, end = [], pos + length
    while pos < end:
        tag, content, length = element(pos)
        fields.append((tag, der[pos:content + length]))
        pos = content + length
    if fields[0][0] == 0xA0:               # [0] version
        fields = fields[1:]
    # serialNumber, signature, issuer, validity, subject, subjectPublicKeyInfo
    return base64.b64encode(hashlib.sha256(fields[5][1]).digest()).decode("ascii")


class Gateway:
    """uplinkd on a private session bus, driven with gdbus like a user would."""

    def __init__(self, root):
        self.root = root
        self.env = dict(os.environ)
        bus = spawn(["dbus-daemon", "--session", "--nofork", "--nopidfile", "--print-address=1",
                     "--address=unix:tmpdir=" + root],
                    stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        self.bus = bus
        self.env["DBUS_SESSION_BUS_ADDRESS"] = read_line(bus.stdout, r"^(unix:\S+)", WAIT_S)[1]
        self.data_dir = os.path.join(root, "state")
        config = os.path.join(root, "uplinkd.conf")
        with open(config, "w", encoding="utf-8") as f:
            f.write("[uplinkd]\n")
        self.log_path = os.path.join(root, "uplinkd.log")
        self.log = open(self.log_path, "w", encoding="utf-8")
        self.process = spawn([os.environ["UL_UPLINKD"], "--session", "--data-dir", self.data_dir,
                              "--config", config, "--https-port", "0", "--http-port", "0",
                              "--listen", "127.0.0.1"],
                             env=self.env, stdout=subprocess.PIPE, stderr=self.log, text=True)
        match = read_line(self.process.stdout, r"listening https=(\d+) http=(\d+)", WAIT_S)
        self.https_port = int(match[1])
        subprocess.run(["gdbus", "wait", "--session", "--timeout", str(WAIT_S), BUS_NAME],
                       env=self.env, check=True, timeout=WAIT_S + 5)
        self.pin = spki_pin(os.path.join(self.data_dir, "tls", "cert.pem"))

    def call(self, method, *args, check=True):
        run = subprocess.run(["gdbus", "call", "--session", "--dest", BUS_NAME,
                              "--object-path", OBJECT_PATH, "--method", method, *args],
                             env=self.env, capture_output=True, text=True, timeout=WAIT_S)
        if check and run.returncode != 0:
            raise AssertionError("%s failed: %s" % (method, run.stderr.strip()))
        return run

    def stop(self):
        """SIGTERM; the exit status (under the sanitizers: 0 also means no leaks)."""
        self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=WAIT_S)
        finally:
            self.log.close()

    def close(self):
        for process in (self.process, self.bus):
            if process.poll() is None:
                process.kill()
                process.wait()
        if not self.log.closed:
            self.log.close()


class Sink:
    """The real SMTP server of the mail tests."""

    def __init__(self, root):
        self.dir = os.path.join(root, "mail")
        os.mkdir(self.dir)
        self.port = free_port()
        self.process = spawn([sys.executable, os.environ["UL_SMTP_SINK"], "--port", str(self.port),
                              "--dir", self.dir],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        read_line(self.process.stdout, r"^READY \d+", WAIT_S)

    def messages_to(self, address):
        found = []
        for path in sorted(glob.glob(os.path.join(self.dir, "*.json"))):
            with open(path, encoding="utf-8") as f:
                message = json.load(f)
            if address in message["envelopeTo"]:
                found.append(message)
        return found

    def close(self):
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=WAIT_S)


def open_browser(pin, profile):
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                     "--no-first-run", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync",
                     "--user-data-dir=" + profile, "--window-size=1024,900",
                     # Trust exactly the gateway's key, nothing else.
                     "--ignore-certificate-errors-spki-list=" + pin):
        options.add_argument(argument)
    # A French browser: pages without a mail language follow it, the form does not.
    options.add_experimental_option("prefs", {"intl.accept_languages": BROWSER_LANGUAGES})
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(WAIT_S)
    return driver


def status_of(driver):
    """The HTTP status of the page shown (Navigation Timing)."""
    return driver.execute_script(
        "return performance.getEntriesByType('navigation')[0].responseStatus")


def h1(driver):
    return driver.find_element(By.TAG_NAME, "h1").text


def shoot(driver, name):
    directory = os.environ.get("UL_SCREENSHOT_DIR")
    if directory:
        os.makedirs(directory, exist_ok=True)
        driver.save_screenshot(os.path.join(directory, name + ".png"))


def submit(driver, password, confirm):
    old = driver.find_element(By.TAG_NAME, "h1")
    for field, value in (("password", password), ("confirm", confirm)):
        element = driver.find_element(By.ID, field)
        element.clear()
        element.send_keys(value)
    driver.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    WebDriverWait(driver, WAIT_S).until(replaced(old))


def replaced(element):
    """The page that held @element is gone. selenium's staleness_of() expects
    StaleElementReferenceException only, but while the old document is being torn down
    chromedriver may answer "Node with given id does not belong to the document" as a plain
    WebDriverException (its subclass): both mean the same here. What the new page says is
    checked by the caller."""
    def check(driver):
        try:
            element.is_enabled()
            return False
        except WebDriverException:
            return True
    return check


# Chromium logs every page that is not a 2xx; those statuses are checked one by one.
EXPECTED_STATUS = re.compile(r"/register/[A-Za-z0-9_-]{43}(\?lang=\w+)? - Failed to load "
                             r"resource: the server responded with a status of (404|410|422) ")


def console_errors(driver):
    """Anything blocked by the Content-Security-Policy, or failing otherwise."""
    return [entry["message"] for entry in driver.get_log("browser")
            if entry["level"] == "SEVERE" and "favicon.ico" not in entry["message"]
            and not EXPECTED_STATUS.search(entry["message"])]


def link_in_mail(sink, address, count):
    messages = wait_for(lambda: len(sink.messages_to(address)) >= count and
                        sink.messages_to(address), "the mail to " + address)
    text = messages[-1]["parts"][0]["text"]
    html = messages[-1]["parts"][1]["text"]
    link = re.search(r"https://127\.0\.0\.1:\d+/register/[A-Za-z0-9_-]{43}", text)[0]
    ok('href="%s"' % link in html, "the HTML part of the mail links the same address")
    return link


def run(root):
    sink = Sink(root)
    gateway = None
    driver = None
    try:
        gateway = Gateway(root)
        csv = os.path.join(root, "users.csv")
        with open(csv, "w", encoding="utf-8") as f:
            f.write(USERS_CSV)
        base = "https://127.0.0.1:%d" % gateway.https_port
        gateway.call("io.github.uplink.Gateway1.Onboarding.UpdateCustomer", CUSTOMER)
        gateway.call("io.github.uplink.Gateway1.Deployment.UpdateSmtp",
                     "{'host': <'127.0.0.1'>, 'port': <%d>, 'tls': <'none'>,"
                     " 'fromAddress': <'deploy@partner.example'>}" % sink.port)
        gateway.call("io.github.uplink.Gateway1.Deployment.UpdateSettings",
                     "{'registrationUrl': <'%s'>}" % base)
        gateway.call("io.github.uplink.Gateway1.Pbx.UpdateDirectory",
                     "{'kind': <'csv'>, 'csv': <{'path': <'%s'>}>}" % csv)
        gateway.call("io.github.uplink.Gateway1.Pbx.Sync", "{}")
        gateway.call("io.github.uplink.Gateway1.Deployment.SendDeploymentEmails",
                     "['201']", "@a{sv} {}")
        link = link_in_mail(sink, "juergen.mueller@acme.example", 1)
        ok(link.startswith(base + "/register/"), "the mail links this gateway's page")

        driver = open_browser(gateway.pin, os.path.join(root, "chromium"))

        # The form, in the mail's language (German), not the browser's (French).
        driver.get(link)
        ok(status_of(driver) == 200, "the form answers 200")
        ok(driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "de",
           "the form speaks the mail's language")
        ok(h1(driver) == "Einrichtung Ihres Kontos abschließen", "the German heading")
        page = driver.find_element(By.TAG_NAME, "main").text
        ok("Jürgen Müller" in page and "201" in page and "juergen.mueller@acme.example" in page,
           "the page shows the user's name, extension and e-mail")
        ok(driver.find_element(By.CSS_SELECTOR, "label[for=password]").text == "Neues Passwort",
           "the password field has its label")
        ok(driver.find_element(By.ID, "password").get_attribute("autocomplete") == "new-password"
           and driver.find_element(By.ID, "confirm").get_attribute("autocomplete")
           == "new-password", "both fields ask for a new password")
        button = driver.find_element(By.CSS_SELECTOR, "button[type=submit]")
        ok(button.value_of_css_property("background-color") == "rgba(28, 113, 216, 1)",
           "the stylesheet applies (the blue button)")
        ok(driver.execute_script("return document.scripts.length") == 0, "no script at all")
        shoot(driver, "form")

        # Keyboard focus is visible.
        driver.find_element(By.ID, "password").click()
        focused = driver.switch_to.active_element
        ok(focused.value_of_css_property("outline-style") == "solid"
           and focused.value_of_css_property("outline-width") == "3px",
           "the focused field has a visible outline")

        # A phone: 320 CSS pixels, nothing wider than the screen.
        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                               {"width": 320, "height": 740, "deviceScaleFactor": 2,
                                "mobile": True})
        driver.refresh()
        ok(driver.execute_script("return window.innerWidth") == 320, "a 320 px wide viewport")
        ok(driver.execute_script("return document.documentElement.scrollWidth <= 320"),
           "no horizontal scrolling at 320 px")
        shoot(driver, "form-320px")
        driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})

        # Dark mode follows the system.
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia",
                               {"features": [{"name": "prefers-color-scheme", "value": "dark"}]})
        driver.refresh()
        ok(driver.find_element(By.TAG_NAME, "html").value_of_css_property("background-color")
           == "rgba(36, 36, 36, 1)"
           and driver.find_element(By.TAG_NAME, "main").value_of_css_property("color")
           == "rgba(255, 255, 255, 1)", "dark mode: dark background, light text")
        shoot(driver, "form-dark")
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": []})

        # The switcher: the same form in English.
        driver.find_element(By.CSS_SELECTOR, "a[hreflang=en]").click()
        WebDriverWait(driver, WAIT_S).until(
            lambda d: d.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en")
        ok(h1(driver) == "Finish building your account", "the language link switches to English")
        driver.get(link)

        # Too weak: refused with the reason, focus on the field, nothing stored.
        submit(driver, "onlylowercaseletters", "onlylowercaseletters")
        ok(status_of(driver) == 422, "a refused password answers 422")
        ok(driver.title.startswith("Fehler: "), "the title says there is an error")
        summary = driver.find_element(By.CSS_SELECTOR, ".error-summary")
        ok(summary.get_attribute("role") == "alert", "the error summary is announced")
        summary_link = summary.find_element(By.CSS_SELECTOR, "a[href='#password']")
        reason = ("Mischen Sie mindestens zwei Arten von Zeichen: Klein- und Großbuchstaben, "
                  "Ziffern, Satzzeichen oder Leerzeichen")
        ok(summary_link.text == reason, "the summary links the reason to the field")
        field = driver.find_element(By.ID, "password")
        ok(driver.switch_to.active_element == summary, "the error summary has the focus")
        ok(summary.location["y"] < 400, "the error summary is in view at the top")
        ok(field.get_attribute("aria-invalid") == "true", "the field is marked invalid")
        described = field.get_attribute("aria-describedby").split()
        ok("password-error" in described and "password-rule" in described,
           "the field is described by its rule and its error")
        ok(reason in driver.find_element(By.ID, "password-error").text,
           "the error next to the field gives the reason")
        ok(field.get_attribute("value") == "" and
           "onlylowercaseletters" not in driver.page_source, "the password is not echoed")
        shoot(driver, "refused")
        # The summary's link takes the keyboard to the field.
        summary_link.click()
        ok(driver.switch_to.active_element == field, "the summary's link focuses the field")
        registered = gateway.call("io.github.uplink.Gateway1.Deployment.ListRegisteredUsers")
        ok("'201'" not in registered.stdout, "nobody is registered yet")


        # A good password.
        submit(driver, "Correct horse 42", "Correct horse 42")
        ok(status_of(driver) == 200, "the registration answers 200")
        ok(h1(driver) == "Ihr Konto ist bereit", "the success page")
        ok("juergen.mueller@acme.example" in driver.find_element(By.TAG_NAME, "main").text,
           "the success page says which e-mail address signs in")
        shoot(driver, "registered")
        registered = gateway.call("io.github.uplink.Gateway1.Deployment.ListRegisteredUsers")
        ok("'extension': <'201'>" in registered.stdout
           and "'email': <'juergen.mueller@acme.example'>" in registered.stdout,
           "D-Bus lists the user as registered")

        # The same link again: used up, said in the browser's language.
        driver.get(link)
        ok(status_of(driver) == 410, "a used link answers 410")
        ok(h1(driver) == "Ce lien a déjà été utilisé", "the used link's page, in French")
        shoot(driver, "used")

        # An expired link.
        gateway.call("io.github.uplink.Gateway1.Deployment.UpdateSettings",
                     "{'linkLifetime': <2>}")
        gateway.call("io.github.uplink.Gateway1.Deployment.SendDeploymentEmails",
                     "['209']", "@a{sv} {}")
        expiring = link_in_mail(sink, "anna@acme.example", 1)
        token = expiring.rsplit("/", 1)[1]
        wait_for(lambda: "LinkExpired" in gateway.call(
            "io.github.uplink.Gateway1.Deployment.LookupRegistration", token,
            check=False).stderr, "the link to expire", interval=0.1)
        driver.get(expiring)
        ok(status_of(driver) == 410, "an expired link answers 410")
        ok(h1(driver) == "Ce lien a expiré", "the expired link's page")
        ok("renvoyer" in driver.find_element(By.TAG_NAME, "main").text,
           "it says to ask for the e-mail again")
        shoot(driver, "expired")

        # A link the gateway never made.
        driver.get(base + "/register/" + "A" * 43)
        ok(status_of(driver) == 404, "an unknown link answers 404")
        ok(h1(driver) == "Ce lien n’est pas valide", "the unknown link's page")
        shoot(driver, "unknown")

        problems = console_errors(driver)
        ok(not problems, "no console errors (nothing blocked by the CSP): %s" % problems)

        driver.quit()
        driver = None
        status = gateway.stop()
        ok(status == 0, "uplinkd stops cleanly (exit status %d)" % status)
    except BaseException:
        if gateway is not None and os.path.exists(gateway.log_path):
            with open(gateway.log_path, encoding="utf-8", errors="replace") as f:
                sys.stderr.write("uplinkd's log:\n" + f.read())
        raise
    finally:
        if driver is not None:
            driver.quit()
        if gateway is not None:
            gateway.close()
        sink.close()


def on_deadline(signum, frame):
    raise TimeoutError("the test took longer than %d s" % DEADLINE_S)


def main():
    for tool in (CHROMEDRIVER, shutil.which("gdbus"), shutil.which("dbus-daemon")):
        if tool is None or not os.path.exists(tool):
            print("FAIL: %s is missing (scripts/install-deps installs it)" % tool)
            return 1
    signal.signal(signal.SIGALRM, on_deadline)
    signal.alarm(DEADLINE_S)
    started = time.monotonic()
    root = tempfile.mkdtemp(prefix="uplink-web-test-")
    try:
        run(root)
    except (AssertionError, TimeoutError) as error:
        print("FAIL: %s" % error, flush=True)
        return 1
    finally:
        signal.alarm(0)
        shutil.rmtree(root, ignore_errors=True)
    print("%d checks passed in %.1f s" % (len(results), time.monotonic() - started))
    return 0


if __name__ == "__main__":
    sys.exit(main())
