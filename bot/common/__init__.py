"""Shared by the Slack and Discord bots; imports neither platform.

commands.Commands.handle(text, Caller) -> Reply     `/aidigest` answered from Redis
lookup.lookup(ShowQuery, DayReader, lang)           a query's sections or overview
days.DayReader, days.follow_ready                   published days (asyncio), ready events
subscription.Subscription, subscriptions.Subscriptions   channels' daily posts in Redis
delivery.Delivery(…, Poster, Clock).run(stop)       the daily post loop; a bot implements
                                                    delivery.Poster.post_digest
ledger.Ledger.once(part, send, find=…)              exactly-once for each message of a post
due.DueQueue, keys.Keys, schedule                   claims, key names, DST-correct times
cache.TtlCache, connection.connect                  answer cache, the Redis connection
"""
