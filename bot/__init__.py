"""Chat front-ends: common/ (shared by both bots), slack_bot/ and discord_bot/."""
