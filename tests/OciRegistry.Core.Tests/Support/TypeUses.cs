using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Reflection.Emit;

namespace OciRegistry.Core.Tests.Support;

/// <summary>
/// Which types each type of an assembly uses, read from the compiled code: base type and interfaces, the types of
/// fields, properties, events, parameters, returns and locals, and every type, method and field a method body's IL
/// names (a <c>using</c> alone compiles to nothing; a use does). Compiler-generated types (closures, async state
/// machines, lambdas) are nested in the type that wrote them and count as it.
/// </summary>
internal static class TypeUses
{
    private const BindingFlags Declared = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance |
        BindingFlags.Static | BindingFlags.DeclaredOnly;

    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(field => (OpCode)field.GetValue(null)!)
        .ToDictionary(code => code.Value);

    /// <summary>Every (user, used) pair in <paramref name="assembly"/>, the user being the outermost declaring type.</summary>
    public static IEnumerable<(Type User, Type Used)> Of(Assembly assembly)
    {
        foreach (var type in assembly.GetTypes())
        {
            var user = Outermost(type);
            foreach (var used in UsedBy(type).SelectMany(Expand).Distinct())
            {
                yield return (user, Outermost(used));
            }
        }
    }

    /// <summary>Every string literal (<c>ldstr</c>) in the method bodies of <paramref name="assembly"/>, with the type that holds it.</summary>
    public static IEnumerable<(Type User, string Text)> Literals(Assembly assembly)
    {
        foreach (var type in assembly.GetTypes())
        {
            foreach (var method in type.GetMethods(Declared).Cast<MethodBase>().Concat(type.GetConstructors(Declared)))
            {
                foreach (var (code, at, il) in Instructions(method))
                {
                    if (code.OperandType == OperandType.InlineString)
                    {
                        yield return (Outermost(type), method.Module.ResolveString(BitConverter.ToInt32(il, at)));
                    }
                }
            }
        }
    }

    private static Type Outermost(Type type)
    {
        while (type.DeclaringType is { } outer)
        {
            type = outer;
        }

        return type;
    }

    private static IEnumerable<Type> UsedBy(Type type)
    {
        if (type.BaseType is { } baseType)
        {
            yield return baseType;
        }

        foreach (var face in type.GetInterfaces())
        {
            yield return face;
        }

        foreach (var field in type.GetFields(Declared))
        {
            yield return field.FieldType;
        }

        foreach (var property in type.GetProperties(Declared))
        {
            yield return property.PropertyType;
        }

        foreach (var e in type.GetEvents(Declared))
        {
            if (e.EventHandlerType is { } handler)
            {
                yield return handler;
            }
        }

        foreach (var method in type.GetMethods(Declared).Cast<MethodBase>().Concat(type.GetConstructors(Declared)))
        {
            if (method is MethodInfo info)
            {
                yield return info.ReturnType;
            }

            foreach (var parameter in method.GetParameters())
            {
                yield return parameter.ParameterType;
            }

            foreach (var used in InBody(method))
            {
                yield return used;
            }
        }
    }

    private static IEnumerable<Type> InBody(MethodBase method)
    {
        var body = method.GetMethodBody();
        if (body is null)
        {
            yield break;
        }

        foreach (var local in body.LocalVariables)
        {
            yield return local.LocalType;
        }

        var typeArguments = method.DeclaringType is { IsGenericType: true } declaring ? declaring.GetGenericArguments() : null;
        var methodArguments = method.IsGenericMethod ? method.GetGenericArguments() : null;
        foreach (var (code, at, il) in Instructions(method))
        {
            if (code.OperandType is OperandType.InlineType or OperandType.InlineMethod or OperandType.InlineField or OperandType.InlineTok)
            {
                var member = method.Module.ResolveMember(BitConverter.ToInt32(il, at), typeArguments, methodArguments);
                foreach (var used in Named(member))
                {
                    yield return used;
                }
            }
        }
    }

    // Each instruction of the body, with the offset of its operand.
    private static IEnumerable<(OpCode Code, int Operand, byte[] Il)> Instructions(MethodBase method)
    {
        var il = method.GetMethodBody()?.GetILAsByteArray() ?? [];
        for (var at = 0; at < il.Length;)
        {
            short value = il[at++];
            if (value == 0xFE)
            {
                value = unchecked((short)(0xFE00 | il[at++]));
            }

            var code = OpCodesByValue[value];
            yield return (code, at, il);
            at += OperandSize(code.OperandType, il, at);
        }
    }

    private static IEnumerable<Type> Named(MemberInfo? member)
    {
        switch (member)
        {
            case Type type:
                yield return type;
                break;
            case FieldInfo field:
                yield return field.DeclaringType!;
                yield return field.FieldType;
                break;
            case MethodBase method:
                if (method.DeclaringType is { } declaring)
                {
                    yield return declaring;
                }

                if (method is MethodInfo info)
                {
                    yield return info.ReturnType;
                    foreach (var argument in info.IsGenericMethod ? info.GetGenericArguments() : [])
                    {
                        yield return argument;
                    }
                }

                foreach (var parameter in method.GetParameters())
                {
                    yield return parameter.ParameterType;
                }

                break;
        }
    }

    private static int OperandSize(OperandType type, byte[] il, int at) => type switch
    {
        OperandType.InlineNone => 0,
        OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
        OperandType.InlineVar => 2,
        OperandType.InlineI8 or OperandType.InlineR => 8,
        OperandType.InlineSwitch => 4 + (4 * BitConverter.ToInt32(il, at)),
        _ => 4,
    };

    // Arrays, pointers, by-refs and generic instances use their element and argument types too.
    private static IEnumerable<Type> Expand(Type type)
    {
        if (type.HasElementType)
        {
            foreach (var inner in Expand(type.GetElementType()!))
            {
                yield return inner;
            }

            yield break;
        }

        if (type.IsGenericParameter)
        {
            yield break;
        }

        yield return type.IsGenericType ? type.GetGenericTypeDefinition() : type;
        if (type.IsGenericType)
        {
            foreach (var argument in type.GetGenericArguments().SelectMany(Expand))
            {
                yield return argument;
            }
        }
    }
}
