"""The social-work workforce (人才队伍): personnel files, posts, continuing education, training."""
