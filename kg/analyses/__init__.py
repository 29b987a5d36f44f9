"""What users come for: obligations, targets and progress, the gap map, comparison, tasks, entities, questions, neighbourhoods."""
