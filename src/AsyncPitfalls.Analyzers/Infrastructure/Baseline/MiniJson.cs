using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace AsyncPitfalls.Analyzers;

/// <summary>
/// Reads the small JSON documents the package owns (the baseline file) without a JSON library, which an analyzer
/// assembly cannot bring with it. Objects become dictionaries, arrays lists, numbers doubles; anything malformed
/// gives null, never an exception.
/// </summary>
internal static class MiniJson
{
    public static object? Parse(string text)
    {
        var index = 0;
        try
        {
            var value = ReadValue(text, ref index);
            SkipWhitespace(text, ref index);
            return index == text.Length ? value : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>A JSON string literal for <paramref name="value"/>, escaped as the reader expects.</summary>
    public static string Quote(string value)
    {
        var builder = new StringBuilder(value.Length + 2);
        builder.Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': builder.Append("\\\""); break;
                case '\\': builder.Append("\\\\"); break;
                case '\n': builder.Append("\\n"); break;
                case '\r': builder.Append("\\r"); break;
                case '\t': builder.Append("\\t"); break;
                default:
                    if (c < ' ')
                    {
                        builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        builder.Append(c);
                    }

                    break;
            }
        }

        return builder.Append('"').ToString();
    }

    private static object? ReadValue(string text, ref int index)
    {
        SkipWhitespace(text, ref index);
        if (index >= text.Length)
        {
            throw new FormatException();
        }

        switch (text[index])
        {
            case '{':
                return ReadObject(text, ref index);
            case '[':
                return ReadArray(text, ref index);
            case '"':
                return ReadString(text, ref index);
            case 't' when string.CompareOrdinal(text, index, "true", 0, 4) == 0:
                index += 4;
                return true;
            case 'f' when string.CompareOrdinal(text, index, "false", 0, 5) == 0:
                index += 5;
                return false;
            case 'n' when string.CompareOrdinal(text, index, "null", 0, 4) == 0:
                index += 4;
                return null;
            default:
                return ReadNumber(text, ref index);
        }
    }

    private static Dictionary<string, object?> ReadObject(string text, ref int index)
    {
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        index++;
        SkipWhitespace(text, ref index);
        if (index < text.Length && text[index] == '}')
        {
            index++;
            return result;
        }

        while (true)
        {
            SkipWhitespace(text, ref index);
            var key = ReadString(text, ref index);
            SkipWhitespace(text, ref index);
            Expect(text, ref index, ':');
            result[key] = ReadValue(text, ref index);
            SkipWhitespace(text, ref index);
            if (index < text.Length && text[index] == ',')
            {
                index++;
                continue;
            }

            Expect(text, ref index, '}');
            return result;
        }
    }

    private static List<object?> ReadArray(string text, ref int index)
    {
        var result = new List<object?>();
        index++;
        SkipWhitespace(text, ref index);
        if (index < text.Length && text[index] == ']')
        {
            index++;
            return result;
        }

        while (true)
        {
            result.Add(ReadValue(text, ref index));
            SkipWhitespace(text, ref index);
            if (index < text.Length && text[index] == ',')
            {
                index++;
                continue;
            }

            Expect(text, ref index, ']');
            return result;
        }
    }

    private static string ReadString(string text, ref int index)
    {
        Expect(text, ref index, '"');
        var builder = new StringBuilder();
        while (index < text.Length)
        {
            var c = text[index++];
            if (c == '"')
            {
                return builder.ToString();
            }

            if (c != '\\')
            {
                builder.Append(c);
                continue;
            }

            if (index >= text.Length)
            {
                break;
            }

            var escape = text[index++];
            switch (escape)
            {
                case 'n': builder.Append('\n'); break;
                case 'r': builder.Append('\r'); break;
                case 't': builder.Append('\t'); break;
                case 'b': builder.Append('\b'); break;
                case 'f': builder.Append('\f'); break;
                case 'u' when index + 4 <= text.Length
                    && int.TryParse(text.Substring(index, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var code):
                    builder.Append((char)code);
                    index += 4;
                    break;
                case '"' or '\\' or '/':
                    builder.Append(escape);
                    break;
                default:
                    throw new FormatException();
            }
        }

        throw new FormatException();
    }

    private static double ReadNumber(string text, ref int index)
    {
        var start = index;
        while (index < text.Length && (char.IsDigit(text[index]) || text[index] is '-' or '+' or '.' or 'e' or 'E'))
        {
            index++;
        }

        return double.TryParse(text.Substring(start, index - start), NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new FormatException();
    }

    private static void Expect(string text, ref int index, char expected)
    {
        if (index >= text.Length || text[index] != expected)
        {
            throw new FormatException();
        }

        index++;
    }

    private static void SkipWhitespace(string text, ref int index)
    {
        while (index < text.Length && char.IsWhiteSpace(text[index]))
        {
            index++;
        }
    }
}
