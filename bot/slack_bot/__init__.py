"""The Slack front-end (slack-bolt): `/aidigest` answers and the daily post.

__main__ runs it; app.py builds the Bolt app; command.py and lifecycle.py are its listener
groups (each with `register(app, services)`); blocks.py renders Block Kit; poster.py posts the
daily digest for bot.common.delivery; installation_store.py keeps OAuth installs in Redis.
"""
