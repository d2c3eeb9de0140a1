"""A real SMTP server for the tests, on a free local port (aiosmtpd, in a thread of the test process).

    from tests.smtp import smtp_server  # noqa: F401  (the fixture)

    def test_x(smtp_server, settings):
        smtp_server.use_in(settings)          # Django's SMTP backend, pointed at this server
        ...
        assert smtp_server.recipients() == ["a@example.org"]
        message = smtp_server.messages[0]     # email.message.EmailMessage, headers and parts

`refuse` holds addresses the server answers 550 to (RCPT TO), to test bounces.
"""

import asyncio
import email
import email.policy
import socket
import threading
import time

import pytest


class RecordingHandler:
    def __init__(self):
        self.messages = []
        self.envelopes = []
        self.refuse = set()
        self.delay = 0.0  # seconds before answering each message (to kill a sender mid-send)
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower() in self.refuse:
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.original_content or envelope.content,
                                           policy=email.policy.default)
        with self.lock:
            self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
            self.messages.append(message)
        if self.delay:
            await asyncio.sleep(self.delay)
        return "250 Message accepted for delivery"


class SMTPServer:
    def __init__(self, controller, handler):
        self.controller = controller
        self.handler = handler
        self.host = controller.hostname
        self.port = controller.port

    @property
    def messages(self):
        with self.handler.lock:
            return list(self.handler.messages)

    @property
    def refuse(self):
        return self.handler.refuse

    def recipients(self) -> list[str]:
        """Every envelope recipient of every message received, in order (duplicates kept)."""
        with self.handler.lock:
            return [address.lower() for _, tos in self.handler.envelopes for address in tos]

    def wait_for(self, count: int, timeout: float = 10.0) -> list:
        """The messages once at least `count` arrived (fails after `timeout` seconds)."""
        deadline = time.monotonic() + timeout
        while len(self.messages) < count:
            if time.monotonic() > deadline:
                raise AssertionError(f"{len(self.messages)} messages arrived, {count} expected")
            time.sleep(0.05)
        return self.messages

    def use_in(self, settings) -> None:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = self.host
        settings.EMAIL_PORT = self.port
        settings.EMAIL_HOST_USER = ""
        settings.EMAIL_HOST_PASSWORD = ""
        settings.EMAIL_USE_TLS = False
        settings.EMAIL_USE_SSL = False
        settings.EMAIL_TIMEOUT = 10

    def environ(self) -> dict:
        """Environment for a subprocess that sends through this server (EMAIL_URL)."""
        return {"EMAIL_URL": f"smtp://{self.host}:{self.port}"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_server():
    from aiosmtpd.controller import Controller

    handler = RecordingHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield SMTPServer(controller, handler)
    finally:
        controller.stop()


def text_part(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def html_part(message) -> str:
    return message.get_body(preferencelist=("html",)).get_content()
