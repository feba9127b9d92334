namespace Gateway.Core.Tests.Configuration;

/// <summary>Finds files of the repository from a test: the folder holding Gateway.sln, above the test's base directory.</summary>
internal static class RepositoryRoot
{
    /// <summary>The full path of <paramref name="relativePath"/> under the repository root.</summary>
    public static string File(string relativePath)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (System.IO.File.Exists(Path.Combine(dir.FullName, "Gateway.sln")))
            {
                return Path.Combine(dir.FullName, relativePath);
            }
        }

        throw new InvalidOperationException($"no Gateway.sln above {AppContext.BaseDirectory}");
    }
}
