"""Command line: create an admin, load demo content.

flask --app debate create-admin --name "Ada" --email ada@example.org
flask --app debate demo
flask --app debate notify-sessions   (every few minutes: followers of sessions starting within the hour)
flask --app debate send-digests      (once a day: the daily notification digest)
"""

from __future__ import annotations

import secrets

import click
from flask import Flask

from debate.demo import seeding
from debate.errors import ServiceError
from debate.services import notifications
from debate.services.live import follows as session_follows


def init_app(app: Flask) -> None:
    app.cli.add_command(create_admin)
    app.cli.add_command(demo)
    app.cli.add_command(notify_sessions)
    app.cli.add_command(send_digests)


@click.command("create-admin")
@click.option("--name", prompt="Display name")
@click.option("--email", prompt="Email address")
@click.option(
    "--password",
    prompt=True,
    hide_input=True,
    confirmation_prompt=True,
    help="Prompted for if not given (better: it stays out of shell history).",
)
def create_admin(name: str, email: str, password: str) -> None:
    """Create a verified admin account."""

    try:
        user = seeding.create_admin(name, email, password)
    except ServiceError as exc:
        raise click.ClickException(exc.message) from None
    click.echo(f"Admin account created for {user.display_name} <{user.email}>.")


@click.command("demo")
def demo() -> None:
    """Load demo content (once): topics and a user of every role, passwords printed once."""

    created = seeding.load_demo(password_factory=lambda: secrets.token_urlsafe(9))
    if not created:
        click.echo("Demo content is already loaded (passwords were printed when it was created).")
        return
    click.echo("\nDemo accounts (these passwords are shown once; write them down):")
    for role, email, password in created:
        click.echo(f"  {role:<15} {email:<36} {password}")
    click.echo("")


@click.command("notify-sessions")
def notify_sessions() -> None:
    """Tell followers of live sessions starting within the next hour (once each; safe to re-run)."""

    told = session_follows.notify_starting()
    click.echo(f"Told {told} follower{'s' if told != 1 else ''} about sessions starting soon.")


@click.command("send-digests")
def send_digests() -> None:
    """Email each member one digest of their unread "daily" notifications (safe to re-run)."""

    sent = notifications.send_digests()
    click.echo(f"Sent {sent} digest{'s' if sent != 1 else ''}.")
