"""Learning from reviews: officers' feedback, clips and the clip library, training packs,
insights, and agreement between reviewers."""
