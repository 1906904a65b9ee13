"""Application services: the use cases commands call for anything beyond a read (storing
talks a member pasted, asking for and taking back personal reminders), so commands never
reach into the outbox or a table module themselves."""
