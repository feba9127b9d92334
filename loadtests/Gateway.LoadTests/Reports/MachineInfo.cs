using System.Globalization;
using System.Runtime.InteropServices;

namespace Gateway.LoadTests.Reports;

/// <summary>The machine a run was measured on, with how busy it already was (other work skews every number).</summary>
/// <param name="Cores">Logical processors.</param>
/// <param name="Os">Operating system.</param>
/// <param name="Runtime">.NET runtime.</param>
/// <param name="LoadAverage">The one-minute load average when the run started (Linux), or null.</param>
/// <param name="Note">What shared the machine with the gateway.</param>
internal sealed record MachineInfo(int Cores, string Os, string Runtime, double? LoadAverage, string Note)
{
    /// <summary>This machine now; <paramref name="note"/> says what shares it with the gateway.</summary>
    public static MachineInfo Current(string note) =>
        new(Environment.ProcessorCount, RuntimeInformation.OSDescription, RuntimeInformation.FrameworkDescription, OneMinuteLoad(), note);

    private static double? OneMinuteLoad()
    {
        const string LoadAverageFile = "/proc/loadavg";
        return File.Exists(LoadAverageFile)
            && double.TryParse(File.ReadAllText(LoadAverageFile).Split(' ')[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var load)
            ? load
            : null;
    }
}
