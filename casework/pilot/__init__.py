"""The social-work workforce pilot (试点工作): pilot units, the pilot's stages, its targets."""
