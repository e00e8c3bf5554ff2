"""Shared by the Slack and Discord bots; imports neither platform.

dispatch.Commands.handle(text, Caller) -> Reply     `/aidigest` answered from Redis (the show
                                                    query by core/lookup.py)
subscription.Subscription, subscription.merge       a channel's daily post, and how commands
                                                    change it
subscription_store.Subscriptions                    subscriptions in Redis, with their due times
delivery.Delivery(…, Poster, Clock).run(stop)       the daily post loop; a bot implements
                                                    delivery.Poster.post_digest
ledger.Ledger.once(part, send, find=…)              exactly-once for each message of a post
due.DueQueue                                        atomic claims with leases
cache.TtlCache, connection.connect                  answer cache, the Redis connection

Published days are read through core/store/async_reader.py; keys are core/store/keys.py's;
local time is core/localtime.py's.
"""
