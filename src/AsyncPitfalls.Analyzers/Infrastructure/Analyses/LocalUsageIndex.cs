using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace AsyncPitfalls.Analyzers;

/// <summary>How a reference uses a variable.</summary>
internal enum LocalAccess
{
    Read,
    Write,
    ReadWrite,
}

/// <summary>How a local is declared.</summary>
internal enum LocalDeclarationKind
{
    Declarator,
    Pattern,
    OutVariable,
    ForEach,
    Using,
    Other,
}

/// <summary>One local of a body: where it is declared, and where it is read and written.</summary>
internal sealed class LocalUsage
{
    public LocalUsage(ILocalSymbol symbol)
    {
        Symbol = symbol;
    }

    public ILocalSymbol Symbol { get; }

    public LocalDeclarationKind Kind { get; set; } = LocalDeclarationKind.Other;

    /// <summary>The declarator, declaration pattern or declaration expression.</summary>
    public IOperation? Declaration { get; set; }

    /// <summary>The initializer value of a declarator, or the input of the pattern that declares the local.</summary>
    public IOperation? Source { get; set; }

    /// <summary>The lambda or local function that declares the local; null for the member body.</summary>
    public IOperation? Function { get; set; }

    public List<IOperation> Reads { get; } = new();

    public List<IOperation> Writes { get; } = new();
}

/// <summary>
/// The shared "who reads a local" analysis. Built once per body in one walk, it holds every local with its reads
/// and writes, and every read of a variable-like symbol (local, parameter, field or property of this type) in
/// source order; ASYNC020 and ASYNC021 work from it. Its static members classify one reference
/// (<see cref="ClassifyAccess"/>) and list the references to one local, for rules that follow a single local.
/// </summary>
internal sealed class LocalUsageIndex
{
    private LocalUsageIndex()
    {
    }

    /// <summary>An index filled by the caller, one operation at a time (from operation actions).</summary>
    public static LocalUsageIndex CreateLocalsOnly() => new() { _collectVariableReads = false };

    /// <summary>The operation kinds <see cref="Add"/> needs for a locals-only index.</summary>
    public static readonly ImmutableArray<OperationKind> LocalKinds = ImmutableArray.Create(
        OperationKind.VariableDeclarator, OperationKind.DeclarationPattern, OperationKind.LocalReference);

    /// <summary>Adds one operation to a locals-only index.</summary>
    public void Add(IOperation operation) => Visit(operation, containingType: null);

    /// <summary>
    /// The locals of the body. Keyed with <see cref="SymbolEqualityComparer.Default"/>, not by reference: the operation
    /// tree of an implicit indexer (<c>span[..n]</c>) refers to a local through another symbol object.
    /// </summary>
    public Dictionary<ILocalSymbol, LocalUsage> Locals { get; } = new(SymbolEqualityComparer.Default);

    /// <summary>Reads of locals, parameters, and fields or properties of the containing type (this or static).</summary>
    public List<(ISymbol Symbol, IOperation Operation)> VariableReads { get; } = new();

    /// <summary>Calls of local functions, with their positions (ASYNC021 needs to know when a local function runs).</summary>
    public List<(IMethodSymbol Function, IOperation Operation)> LocalFunctionCalls { get; } = new();

    /// <summary>Whether the reads of parameters, fields and properties are collected too (a second, fuller pass).</summary>
    private bool _collectVariableReads;

    /// <summary>
    /// Builds the index. With <paramref name="collectVariableReads"/> off, only locals are indexed: enough to see
    /// whether any local is left unread, which is the only case the rules go on with.
    /// </summary>
    public static LocalUsageIndex Build(ImmutableArray<IOperation> blocks, INamedTypeSymbol? containingType, bool collectVariableReads = true)
    {
        var index = new LocalUsageIndex { _collectVariableReads = collectVariableReads };
        var stack = new Stack<IOperation>();
        foreach (var block in blocks)
        {
            // An explicit stack over ChildOperations: one walk, no iterator allocations per node.
            stack.Push(block);
            while (stack.Count > 0)
            {
                var operation = stack.Pop();
                index.Visit(operation, containingType);
                foreach (var child in operation.ChildOperations)
                {
                    stack.Push(child);
                }
            }
        }

        return index;
    }

    /// <summary>
    /// True when some declared local (not a foreach or using variable) is written and never read (and
    /// <paramref name="worthLookingAt"/> accepts it), or is declared in a lambda or local function and written after its
    /// last read: the only locals ASYNC020 and ASYNC021 look at. Most bodies have none, and skip the fuller second pass.
    /// </summary>
    public bool HasUnreadAssignment(Func<LocalUsage, bool> worthLookingAt)
    {
        foreach (var usage in Locals.Values)
        {
            if (usage.Writes.Count == 0 || usage.Declaration is null || usage.Kind is LocalDeclarationKind.ForEach or LocalDeclarationKind.Using)
            {
                continue;
            }

            if (usage.Reads.Count == 0 && worthLookingAt(usage))
            {
                return true;
            }

            if (usage.Function is null)
            {
                continue;
            }

            var lastWrite = 0;
            foreach (var write in usage.Writes)
            {
                lastWrite = Math.Max(lastWrite, write.Syntax.SpanStart);
            }

            var readAfter = false;
            foreach (var read in usage.Reads)
            {
                if (read.Syntax.SpanStart > lastWrite)
                {
                    readAfter = true;
                    break;
                }
            }

            if (!readAfter)
            {
                return true;
            }
        }

        return false;
    }

    private LocalUsage Get(ILocalSymbol local)
    {
        if (!Locals.TryGetValue(local, out var usage))
        {
            usage = new LocalUsage(local);
            Locals.Add(local, usage);
        }

        return usage;
    }

    private void Visit(IOperation operation, INamedTypeSymbol? containingType)
    {
        switch (operation)
        {
            case IVariableDeclaratorOperation declarator:
                {
                    var usage = Get(declarator.Symbol);
                    usage.Declaration = declarator;
                    usage.Function = declarator.EnclosingFunction();
                    usage.Kind = KindOf(declarator);
                    var initializer = declarator.Initializer ?? (declarator.Parent as IVariableDeclarationOperation)?.Initializer;
                    usage.Source = initializer?.Value;
                    if (initializer is not null)
                    {
                        usage.Writes.Add(declarator);
                    }

                    break;
                }

            case IDeclarationPatternOperation { DeclaredSymbol: ILocalSymbol patternLocal } pattern:
                {
                    var usage = Get(patternLocal);
                    usage.Declaration = pattern;
                    usage.Function = pattern.EnclosingFunction();
                    usage.Kind = LocalDeclarationKind.Pattern;
                    usage.Source = PatternInput(pattern);
                    usage.Writes.Add(pattern);
                    break;
                }

            case ILocalReferenceOperation reference:
                {
                    var usage = Get(reference.Local);
                    if (reference.IsDeclaration)
                    {
                        usage.Declaration ??= reference;
                        usage.Function ??= reference.EnclosingFunction();
                        if (usage.Kind == LocalDeclarationKind.Other)
                        {
                            usage.Kind = reference.Parent is IDeclarationExpressionOperation { Parent: IArgumentOperation { Parameter.RefKind: RefKind.Out } }
                                ? LocalDeclarationKind.OutVariable
                                : LocalDeclarationKind.Other;
                        }

                        usage.Writes.Add(reference);
                        break;
                    }

                    var access = ClassifyAccess(reference);
                    if (access != LocalAccess.Write)
                    {
                        usage.Reads.Add(reference);
                    }

                    if (access != LocalAccess.Read)
                    {
                        usage.Writes.Add(reference);
                    }

                    if (_collectVariableReads && access != LocalAccess.Write)
                    {
                        VariableReads.Add((reference.Local, reference));
                    }

                    break;
                }

            case IParameterReferenceOperation parameter when _collectVariableReads && IsRead(parameter):
                VariableReads.Add((parameter.Parameter, parameter));
                break;
            case IFieldReferenceOperation field when _collectVariableReads && IsRead(field) && IsOwnMember(field.Field, field.Instance, containingType):
                VariableReads.Add((field.Field, field));
                break;
            case IPropertyReferenceOperation { Arguments.IsEmpty: true } property when _collectVariableReads && IsRead(property) && IsOwnMember(property.Property, property.Instance, containingType):
                VariableReads.Add((property.Property, property));
                break;
            case IInvocationOperation { TargetMethod.MethodKind: MethodKind.LocalFunction } call when _collectVariableReads:
                LocalFunctionCalls.Add((call.TargetMethod, call));
                break;
        }
    }

    private static LocalDeclarationKind KindOf(IVariableDeclaratorOperation declarator)
    {
        for (var current = declarator.Parent; current is not null; current = current.Parent)
        {
            switch (current)
            {
                case IForEachLoopOperation:
                    return LocalDeclarationKind.ForEach;
                case IUsingOperation or IUsingDeclarationOperation:
                    return LocalDeclarationKind.Using;
                case IVariableDeclarationOperation or IVariableDeclarationGroupOperation:
                    continue;
                default:
                    return LocalDeclarationKind.Declarator;
            }
        }

        return LocalDeclarationKind.Declarator;
    }

    private static IOperation? PatternInput(IOperation pattern)
    {
        for (var current = pattern.Parent; current is not null; current = current.Parent)
        {
            switch (current)
            {
                case IIsPatternOperation isPattern:
                    return isPattern.Value;
                case ISwitchExpressionOperation switchExpression:
                    return switchExpression.Value;
                case ISwitchOperation switchStatement:
                    return switchStatement.Value;
            }
        }

        return null;
    }

    /// <summary>
    /// How a reference uses the variable it names: a plain write (<c>x = ...</c>, <c>out x</c>, a deconstruction
    /// target), a read and a write (<c>x += ...</c>, <c>x++</c>, <c>ref x</c>), or a read. The one definition every rule uses.
    /// </summary>
    public static LocalAccess ClassifyAccess(IOperation reference)
    {
        switch (reference.Parent)
        {
            case ISimpleAssignmentOperation assignment when assignment.Target == reference:
                return LocalAccess.Write;
            case ICompoundAssignmentOperation compound when compound.Target == reference:
            case ICoalesceAssignmentOperation coalesce when coalesce.Target == reference:
            case IIncrementOrDecrementOperation:
                return LocalAccess.ReadWrite;
            case IArgumentOperation { Parameter.RefKind: RefKind.Out }:
                return LocalAccess.Write;
            case IArgumentOperation { Parameter.RefKind: RefKind.Ref }:
                return LocalAccess.ReadWrite;
            default:
                return IsDeconstructionTarget(reference) ? LocalAccess.Write : LocalAccess.Read;
        }
    }

    /// <summary>True unless the reference only stores a value (<see cref="ClassifyAccess"/> is <see cref="LocalAccess.Write"/>).</summary>
    public static bool IsRead(IOperation reference) => ClassifyAccess(reference) != LocalAccess.Write;

    /// <summary>Every reference to <paramref name="local"/> below <paramref name="scope"/>, in source order.</summary>
    public static List<ILocalReferenceOperation> References(ILocalSymbol local, IOperation scope)
    {
        var result = new List<ILocalReferenceOperation>();
        foreach (var operation in scope.Descendants())
        {
            if (operation is ILocalReferenceOperation reference && SymbolEqualityComparer.Default.Equals(reference.Local, local))
            {
                result.Add(reference);
            }
        }

        return result;
    }

    private static bool IsDeconstructionTarget(IOperation reference)
    {
        var current = reference;
        while (current.Parent is ITupleOperation tuple)
        {
            current = tuple;
        }

        return current.Parent is IDeconstructionAssignmentOperation deconstruction && deconstruction.Target == current;
    }

    private static bool IsOwnMember(ISymbol member, IOperation? instance, INamedTypeSymbol? containingType)
    {
        if (containingType is null)
        {
            return false;
        }

        if (member.IsStatic)
        {
            return SymbolEqualityComparer.Default.Equals(member.ContainingType, containingType);
        }

        return instance is IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance };
    }
}
