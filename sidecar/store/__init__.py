"""Our own tables (SPEC section 3): migrations, settings, connections, meetings, jobs, deletions, oauth_states,
nonces, events, crypto, rotation."""
