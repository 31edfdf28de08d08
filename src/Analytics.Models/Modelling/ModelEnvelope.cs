using System.Text;

namespace Analytics.Models.Modelling;

/// <summary>
/// The byte layout of a serialized risk model: a header (magic, format version, kind), the model's
/// own numbers written by <see cref="BinaryWriter"/> (doubles bit for bit), then the ML.NET model
/// (its own zip format) as a length-prefixed block. Everything stays in memory.
/// </summary>
internal static class ModelEnvelope
{
    private const string Magic = "analytics-risk-model";
    private const int FormatVersion = 1;

    public static byte[] Write(RiskModelKind kind, Action<BinaryWriter> writeNumbers, byte[] mlModel)
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(Magic);
            writer.Write(FormatVersion);
            writer.Write((int)kind);
            writeNumbers(writer);
            writer.Write(mlModel.Length);
            writer.Write(mlModel);
        }
        return stream.ToArray();
    }

    /// <summary>A reader positioned after the header, having checked it announces <paramref name="kind"/>.</summary>
    public static BinaryReader Open(byte[] bytes, RiskModelKind kind)
    {
        var reader = new BinaryReader(new MemoryStream(bytes, writable: false), Encoding.UTF8);
        var found = ReadHeader(reader);
        if (found != kind)
            throw new ArgumentException($"the bytes hold a {found} model, not a {kind} model");
        return reader;
    }

    public static RiskModelKind PeekKind(byte[] bytes)
    {
        using var reader = new BinaryReader(new MemoryStream(bytes, writable: false), Encoding.UTF8);
        return ReadHeader(reader);
    }

    public static byte[] ReadMlModel(BinaryReader reader) => reader.ReadBytes(reader.ReadInt32());

    public static void WriteDoubles(this BinaryWriter writer, IReadOnlyList<double> values)
    {
        writer.Write(values.Count);
        foreach (var v in values)
            writer.Write(v);
    }

    public static double[] ReadDoubles(this BinaryReader reader)
    {
        var values = new double[reader.ReadInt32()];
        for (var i = 0; i < values.Length; i++)
            values[i] = reader.ReadDouble();
        return values;
    }

    public static void WriteStrings(this BinaryWriter writer, IReadOnlyList<string> values)
    {
        writer.Write(values.Count);
        foreach (var v in values)
            writer.Write(v);
    }

    public static string[] ReadStrings(this BinaryReader reader)
    {
        var values = new string[reader.ReadInt32()];
        for (var i = 0; i < values.Length; i++)
            values[i] = reader.ReadString();
        return values;
    }

    private static RiskModelKind ReadHeader(BinaryReader reader)
    {
        try
        {
            if (reader.ReadString() != Magic)
                throw new ArgumentException("the bytes are not a serialized risk model");
            var version = reader.ReadInt32();
            if (version != FormatVersion)
                throw new ArgumentException($"risk model format {version} is not supported (this code reads format {FormatVersion})");
            return (RiskModelKind)reader.ReadInt32();
        }
        catch (Exception e) when (e is EndOfStreamException or FormatException or IOException)
        {
            throw new ArgumentException("the bytes are not a serialized risk model (unreadable header)");
        }
    }
}
