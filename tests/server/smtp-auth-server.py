#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# smtp-auth-server.py — a real SMTP server (aiosmtpd) that requires STARTTLS *and* AUTH, for
# the SMTP authentication tests (the aiosmtpd command line cannot switch on AUTH).
#
#   smtp-auth-server.py PORT CERT KEY MAILDIR USER PASSWORD
#
# Mails go to MAILDIR like with `python3 -m aiosmtpd -c aiosmtpd.handlers.Mailbox`.
import signal
import ssl
import sys

from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Mailbox
from aiosmtpd.smtp import AuthResult, LoginPassword


def main() -> int:
    port, cert, key, maildir, user, password = sys.argv[1:7]
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.load_cert_chain(cert, key)

    def authenticator(server, session, envelope, mechanism, auth_data):
        ok = (isinstance(auth_data, LoginPassword)
              and auth_data.login == user.encode()
              and auth_data.password == password.encode())
        # handled=False: aiosmtpd answers 235/535 itself.
        return AuthResult(success=ok, handled=False)

    controller = Controller(Mailbox(maildir), hostname="127.0.0.1", port=int(port),
                            tls_context=context, require_starttls=True,
                            auth_required=True, auth_require_tls=True,
                            authenticator=authenticator)
    # Block the signals before the server thread starts (it inherits the mask), then wait
    # for one synchronously in the main thread.
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM, signal.SIGINT})
    controller.start()
    signal.sigwait({signal.SIGTERM, signal.SIGINT})
    controller.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
