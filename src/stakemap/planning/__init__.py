"""The plan: who decides and by what rule, how opinions move, and whom to meet in what order."""
