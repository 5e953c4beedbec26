def counts_as_complete(*, round, response) -> bool:
    return response.completed_at is not None
