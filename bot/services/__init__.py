"""Application services: the use cases commands call for anything beyond a read (storing
talks a member pasted, asking for and taking back personal reminders), so commands never
reach into the outbox or a table module themselves.

They are synchronous: a command runs each inside one `await store.transaction_when_free`
(storage.db), so the write lock the reader child may hold is waited for in the event loop,
never in SQLite's busy handler on it."""
