import MFToolCommands

MFTool.main()
