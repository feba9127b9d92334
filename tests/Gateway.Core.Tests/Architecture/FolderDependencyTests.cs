using System.Text.RegularExpressions;
using Gateway.Core.Tests.Configuration;

namespace Gateway.Core.Tests.Architecture;

/// <summary>
/// The engine's folders are capabilities with one-way dependencies: each file's namespace is its folder's, and no two
/// folders use each other. Read from the sources: a folder uses another when one of its files imports that folder's
/// namespace or names a type through it (<c>Upstreams.Destination</c>).
/// </summary>
public sealed partial class FolderDependencyTests
{
    private static readonly string Root = RepositoryRoot.File(Path.Combine("src", "Gateway.Core"));

    [Fact]
    public void EveryFileIsInTheNamespaceOfItsFolder()
    {
        var misplaced = SourceFiles()
            .Where(file => NamespaceOf(file) != "Gateway.Core." + Path.GetRelativePath(Root, Path.GetDirectoryName(file)!).Replace(Path.DirectorySeparatorChar, '.'))
            .Select(file => Path.GetRelativePath(Root, file))
            .ToList();

        Assert.Empty(misplaced);
    }

    [Fact]
    public void NoTwoFoldersDependOnEachOther()
    {
        var uses = Folders().ToDictionary(folder => folder, FoldersUsedBy);

        var cycles = uses
            .SelectMany(pair => pair.Value.Where(used => string.CompareOrdinal(pair.Key, used) < 0 && uses[used].Contains(pair.Key))
                .Select(used => $"{pair.Key} <-> {used}"))
            .ToList();

        Assert.Empty(cycles);
    }

    [Fact]
    public void TheCodecAndThePlumbingDependOnNoOtherFolder()
    {
        Assert.Empty(FoldersUsedBy("Http"));
        Assert.Empty(FoldersUsedBy("Async"));
        Assert.Empty(FoldersUsedBy("Routing"));
    }

    private static IEnumerable<string> Folders() => Directory.GetDirectories(Root)
        .Select(Path.GetFileName)
        .Where(name => name is not ("bin" or "obj"))
        .Select(name => name!);

    private static IEnumerable<string> SourceFiles() => Folders()
        .SelectMany(folder => Directory.GetFiles(Path.Combine(Root, folder), "*.cs", SearchOption.AllDirectories));

    private static HashSet<string> FoldersUsedBy(string folder)
    {
        var others = Folders().Where(f => f != folder).ToHashSet();
        var used = new HashSet<string>();
        foreach (var file in Directory.GetFiles(Path.Combine(Root, folder), "*.cs", SearchOption.AllDirectories))
        {
            var code = Comment().Replace(File.ReadAllText(file), "");
            foreach (Match match in Import().Matches(code))
            {
                used.Add(match.Groups["folder"].Value);
            }

            foreach (Match match in QualifiedName().Matches(code))
            {
                used.Add(match.Groups["folder"].Value);
            }
        }

        used.IntersectWith(others);
        return used;
    }

    private static string NamespaceOf(string file) => FileScopedNamespace().Match(File.ReadAllText(file)).Groups["name"].Value;

    [GeneratedRegex(@"//[^\n]*")]
    private static partial Regex Comment();

    [GeneratedRegex(@"^using (static )?Gateway\.Core\.(?<folder>\w+)", RegexOptions.Multiline)]
    private static partial Regex Import();

    [GeneratedRegex(@"(?<![\w.""])(?<folder>[A-Z]\w+)\.[A-Z]\w*")]
    private static partial Regex QualifiedName();

    [GeneratedRegex(@"^namespace (?<name>[\w.]+);", RegexOptions.Multiline)]
    private static partial Regex FileScopedNamespace();
}
