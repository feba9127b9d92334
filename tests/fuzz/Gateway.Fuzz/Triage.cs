namespace Gateway.Fuzz;

/// <summary>Replays saved inputs through <see cref="RequestInvariants"/> once each and says which break what.</summary>
internal static class Triage
{
    /// <summary>Checks every file; prints each failure with its exception; returns 1 when any failed.</summary>
    public static int Run(IEnumerable<string> files)
    {
        var failed = 0;
        foreach (var file in files)
        {
            var input = File.ReadAllBytes(file);
            try
            {
                RequestInvariants.Check(input);
                Console.WriteLine($"ok    {file}");
            }
            catch (Exception ex)
            {
                failed++;
                Console.WriteLine($"FAIL  {file}\n{ex}");
            }
        }

        return failed > 0 ? 1 : 0;
    }
}
