"""What main.py prints and tidies after a synth: the summary with its cost estimate, stale stack folders."""
