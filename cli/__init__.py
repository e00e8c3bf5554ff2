"""`aidigest`, the command line: main.py parses and dispatches; one module per group of
subcommands (build.py: demo and build; show.py: show; queue.py: enqueue and status). It may
import core and workers; nothing imports it."""
