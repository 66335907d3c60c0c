package command

// versionCommand is `drover version` (also -version and --version).
type versionCommand struct{ *Meta }

func (c *versionCommand) Help() string {
	return "Usage: drover version\n\n  Prints the Drover version."
}

func (c *versionCommand) Synopsis() string { return "Prints the Drover version" }

func (c *versionCommand) Run(args []string) int {
	c.Outputf("Drover v%s", Version)
	return 0
}
