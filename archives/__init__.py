"""Archives (档案): archive packages, retention, paper locations, lending."""
