using AsyncPitfalls.Cli;

// MSBuild must be located before any type that uses it is loaded: Entry does that, then runs the commands.
return await Entry.RunAsync(args);
