"""State changes of accounts, one module a topic (as Zulip splits zerver/actions/)."""
