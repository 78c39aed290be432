"""Our own tables (SPEC section 3): migrations, settings, connections, meetings, jobs, states, crypto."""
