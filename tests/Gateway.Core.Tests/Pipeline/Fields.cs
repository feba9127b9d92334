using System.Text;
using Gateway.Core.Http;

namespace Gateway.Core.Tests.Pipeline;

/// <summary>Reads a field out of a field list, for assertions.</summary>
internal static class Fields
{
    /// <summary>The value of the first field named <paramref name="name"/> (any case), or null.</summary>
    public static string? Value(IFieldList fields, string name)
    {
        for (var i = 0; i < fields.Count; i++)
        {
            if (Encoding.ASCII.GetString(fields.NameOf(i)).Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return Encoding.ASCII.GetString(fields.ValueOf(i));
            }
        }

        return null;
    }
}
