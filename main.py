"""Backprop Stepper: step through backpropagation one chain-rule step at a time."""
import sys

from simulator.cli import main

if __name__ == "__main__":
    sys.exit(main())
