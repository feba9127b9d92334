using Gateway.Core.Tests.Configuration;
using Gateway.Fuzz;

namespace Gateway.Core.Tests.Http;

/// <summary>
/// Replays the fuzz seed corpus (<c>tests/fuzz/corpus</c>) and every input the fuzzer ever broke the parser with
/// (<c>tests/fuzz/regressions</c>) through the fuzz harness's own <see cref="RequestInvariants"/>.
/// </summary>
public sealed class FuzzRegressionTests
{
    /// <summary>Every input file, as a path relative to the repository root.</summary>
    public static TheoryData<string> Inputs()
    {
        var inputs = new TheoryData<string>();
        foreach (var folder in new[] { "tests/fuzz/corpus", "tests/fuzz/regressions" })
        {
            var files = Directory.GetFiles(RepositoryRoot.File(folder)).Where(path => Path.GetFileName(path) != "README.md");
            foreach (var file in files.Order(StringComparer.Ordinal))
            {
                inputs.Add($"{folder}/{Path.GetFileName(file)}");
            }
        }

        return inputs;
    }

    [Theory]
    [MemberData(nameof(Inputs))]
    public void KeepsInvariants(string file) => RequestInvariants.Check(File.ReadAllBytes(RepositoryRoot.File(file)));
}
