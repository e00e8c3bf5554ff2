"""Real stand-ins for outside services (local servers over real sockets, never mocks)."""
