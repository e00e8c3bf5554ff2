"""The Discord front-end of aidigest: the `/aidigest` slash commands and the daily post.

Run with `python -m bot.discord_bot` (see README.md here for the invite URL and setup).
"""
