"""Slack: Socket Mode or HTTP mode, slash commands routed to the neutral registry, and
neutral Messages posted as Block Kit. slack_bolt and slack_sdk are imported only here."""

from adapters.slack.adapter import SlackAdapter, SlackSetupError

__all__ = ["SlackAdapter", "SlackSetupError"]
