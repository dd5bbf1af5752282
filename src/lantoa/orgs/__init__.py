"""The org tree (nation → provinces → communes → agencies, schools, villages), people,
memberships and roles, and the scoping of every query to the part of the tree a user covers."""
