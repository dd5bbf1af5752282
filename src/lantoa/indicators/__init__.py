"""The indicator catalogue: the targets of Quyết định 1169/QĐ-TTg as the standard set."""
