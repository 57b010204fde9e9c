"""Planning: the plan read from an organization's history, its next action kept equal to
it, the action's public body, the agenda, the scripts and the scheduler's database work."""
