"""Built days, stored: in Redis for the workers, bots and web (every key in keys.py, decoded by
codec.py; writer.py publishes, sync_reader.py and async_reader.py read), and as files for the
CLI without Redis (files.py)."""
