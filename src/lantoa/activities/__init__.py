"""Evidence: activities a unit did for its plan's tasks (meetings, trainings, articles,
bulletins, broadcasts, posts, events, competitions, awards), with their counts and proof."""
