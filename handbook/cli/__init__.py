"""The command line (python -m handbook): the argparse root in main.py and a module per command group."""
