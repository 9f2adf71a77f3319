"""What main.py prints and tidies after a synth: the summary, stale stack folders."""
